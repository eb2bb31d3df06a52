# Generated from ui/main_window.ui — do not edit — regenerate with: python packaging/build_generated.py
# -*- coding: utf-8 -*-

################################################################################
## Form generated from reading UI file 'main_window.ui'
##
## Created by: Qt User Interface Compiler
##
## WARNING! All changes made in this file will be lost when recompiling UI file!
################################################################################

from PySide6.QtCore import (QCoreApplication, QDate, QDateTime, QLocale,
    QMetaObject, QObject, QPoint, QRect,
    QSize, QTime, QUrl, Qt)
from PySide6.QtGui import (QAction, QBrush, QColor, QConicalGradient,
    QCursor, QFont, QFontDatabase, QGradient,
    QIcon, QImage, QKeySequence, QLinearGradient,
    QPainter, QPalette, QPixmap, QRadialGradient,
    QTransform)
from PySide6.QtWidgets import (QAbstractItemView, QApplication, QFrame, QHeaderView,
    QMainWindow, QMenu, QMenuBar, QSizePolicy,
    QStatusBar, QTableView, QVBoxLayout, QWidget)

class Ui_MainWindow(object):
    def setupUi(self, MainWindow):
        if not MainWindow.objectName():
            MainWindow.setObjectName(u"MainWindow")
        MainWindow.resize(1200, 720)
        self.actionImportLeads = QAction(MainWindow)
        self.actionImportLeads.setObjectName(u"actionImportLeads")
        self.actionShowAllLeads = QAction(MainWindow)
        self.actionShowAllLeads.setObjectName(u"actionShowAllLeads")
        self.actionLoadDemo = QAction(MainWindow)
        self.actionLoadDemo.setObjectName(u"actionLoadDemo")
        self.actionQuit = QAction(MainWindow)
        self.actionQuit.setObjectName(u"actionQuit")
        self.actionQuit.setMenuRole(QAction.MenuRole.QuitRole)
        self.actionRefresh = QAction(MainWindow)
        self.actionRefresh.setObjectName(u"actionRefresh")
        self.actionAbout = QAction(MainWindow)
        self.actionAbout.setObjectName(u"actionAbout")
        self.actionAbout.setMenuRole(QAction.MenuRole.AboutRole)
        self.centralWidget = QWidget(MainWindow)
        self.centralWidget.setObjectName(u"centralWidget")
        self.centralLayout = QVBoxLayout(self.centralWidget)
        self.centralLayout.setSpacing(0)
        self.centralLayout.setObjectName(u"centralLayout")
        self.centralLayout.setContentsMargins(0, 0, 0, 0)
        self.leadTable = QTableView(self.centralWidget)
        self.leadTable.setObjectName(u"leadTable")
        self.leadTable.setFrameShape(QFrame.Shape.NoFrame)
        self.leadTable.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.leadTable.setAlternatingRowColors(True)
        self.leadTable.setSelectionMode(QAbstractItemView.SelectionMode.ExtendedSelection)
        self.leadTable.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.leadTable.setVerticalScrollMode(QAbstractItemView.ScrollMode.ScrollPerPixel)
        self.leadTable.setHorizontalScrollMode(QAbstractItemView.ScrollMode.ScrollPerPixel)
        self.leadTable.setShowGrid(False)
        self.leadTable.setSortingEnabled(False)
        self.leadTable.setWordWrap(False)
        self.leadTable.setCornerButtonEnabled(False)
        self.leadTable.horizontalHeader().setHighlightSections(False)
        self.leadTable.horizontalHeader().setStretchLastSection(True)
        self.leadTable.verticalHeader().setVisible(False)

        self.centralLayout.addWidget(self.leadTable)

        MainWindow.setCentralWidget(self.centralWidget)
        self.menuBar = QMenuBar(MainWindow)
        self.menuBar.setObjectName(u"menuBar")
        self.menuBar.setGeometry(QRect(0, 0, 1200, 24))
        self.menuFile = QMenu(self.menuBar)
        self.menuFile.setObjectName(u"menuFile")
        self.menuView = QMenu(self.menuBar)
        self.menuView.setObjectName(u"menuView")
        self.menuHelp = QMenu(self.menuBar)
        self.menuHelp.setObjectName(u"menuHelp")
        MainWindow.setMenuBar(self.menuBar)
        self.statusBar = QStatusBar(MainWindow)
        self.statusBar.setObjectName(u"statusBar")
        MainWindow.setStatusBar(self.statusBar)

        self.menuBar.addAction(self.menuFile.menuAction())
        self.menuBar.addAction(self.menuView.menuAction())
        self.menuBar.addAction(self.menuHelp.menuAction())
        self.menuFile.addAction(self.actionImportLeads)
        self.menuFile.addAction(self.actionLoadDemo)
        self.menuFile.addSeparator()
        self.menuFile.addAction(self.actionQuit)
        self.menuView.addAction(self.actionRefresh)
        self.menuView.addAction(self.actionShowAllLeads)
        self.menuHelp.addAction(self.actionAbout)

        self.retranslateUi(MainWindow)

        QMetaObject.connectSlotsByName(MainWindow)
    # setupUi

    def retranslateUi(self, MainWindow):
        MainWindow.setWindowTitle(QCoreApplication.translate("MainWindow", u"Teleprospect", None))
        self.actionImportLeads.setText(QCoreApplication.translate("MainWindow", u"&Import leads\u2026", None))
#if QT_CONFIG(tooltip)
        self.actionImportLeads.setToolTip(QCoreApplication.translate("MainWindow", u"Import leads from a CSV file (you can also drop the file on the window)", None))
#endif // QT_CONFIG(tooltip)
#if QT_CONFIG(shortcut)
        self.actionImportLeads.setShortcut(QCoreApplication.translate("MainWindow", u"Ctrl+I", None))
#endif // QT_CONFIG(shortcut)
        self.actionShowAllLeads.setText(QCoreApplication.translate("MainWindow", u"Show &all leads", None))
#if QT_CONFIG(shortcut)
        self.actionShowAllLeads.setShortcut(QCoreApplication.translate("MainWindow", u"Esc", None))
#endif // QT_CONFIG(shortcut)
        self.actionLoadDemo.setText(QCoreApplication.translate("MainWindow", u"Load &demo data\u2026", None))
#if QT_CONFIG(tooltip)
        self.actionLoadDemo.setToolTip(QCoreApplication.translate("MainWindow", u"Add a realistic set of demo users, campaigns and leads to this database", None))
#endif // QT_CONFIG(tooltip)
        self.actionQuit.setText(QCoreApplication.translate("MainWindow", u"&Quit", None))
#if QT_CONFIG(shortcut)
        self.actionQuit.setShortcut(QCoreApplication.translate("MainWindow", u"Ctrl+Q", None))
#endif // QT_CONFIG(shortcut)
        self.actionRefresh.setText(QCoreApplication.translate("MainWindow", u"&Refresh", None))
#if QT_CONFIG(tooltip)
        self.actionRefresh.setToolTip(QCoreApplication.translate("MainWindow", u"Read the leads again from the database (F5)", None))
#endif // QT_CONFIG(tooltip)
#if QT_CONFIG(shortcut)
        self.actionRefresh.setShortcut(QCoreApplication.translate("MainWindow", u"F5", None))
#endif // QT_CONFIG(shortcut)
        self.actionAbout.setText(QCoreApplication.translate("MainWindow", u"&About Teleprospect", None))
#if QT_CONFIG(accessibility)
        self.leadTable.setAccessibleName(QCoreApplication.translate("MainWindow", u"Leads", None))
#endif // QT_CONFIG(accessibility)
        self.menuFile.setTitle(QCoreApplication.translate("MainWindow", u"&File", None))
        self.menuView.setTitle(QCoreApplication.translate("MainWindow", u"&View", None))
        self.menuHelp.setTitle(QCoreApplication.translate("MainWindow", u"&Help", None))
    # retranslateUi

